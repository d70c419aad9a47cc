# Reward-model score and gold score against KL to SFT, along each run
# Render from this directory: gnuplot sweep-against-kl.gp  (writes sweep-against-kl.png)
if (!exists("outfile")) outfile = 'sweep-against-kl.png'
set terminal pngcairo size 800,500 noenhanced font 'Sans,11'
set output outfile
set title 'Reward-model score and gold score against KL to SFT, along each run'
set xlabel 'KL to SFT (batch mean) (nats per answer)'
set ylabel 'score'
set key bottom right box opaque
set grid
set style fill transparent solid 0.2 noborder
set offsets 0, 0, graph 0.05, graph 0.05
plot 'sweep-against-kl.dat' index 0 using 1:2 with lines lw 2 lc 1 title 'reward, kl_coef 0', \
     'sweep-against-kl.dat' index 1 using 1:2 with lines lw 2 lc 2 title 'gold, kl_coef 0', \
     'sweep-against-kl.dat' index 2 using 1:2 with lines lw 2 lc 3 title 'reward, kl_coef 0.02', \
     'sweep-against-kl.dat' index 3 using 1:2 with lines lw 2 lc 4 title 'gold, kl_coef 0.02', \
     'sweep-against-kl.dat' index 4 using 1:2 with lines lw 2 lc 5 title 'reward, kl_coef 0.05', \
     'sweep-against-kl.dat' index 5 using 1:2 with lines lw 2 lc 6 title 'gold, kl_coef 0.05', \
     'sweep-against-kl.dat' index 6 using 1:2 with lines lw 2 lc 7 title 'reward, kl_coef 0.2', \
     'sweep-against-kl.dat' index 7 using 1:2 with lines lw 2 lc 8 title 'gold, kl_coef 0.2'
