# TPO and revision: reward of the best in the cache and of each new batch
# Render from this directory: gnuplot reward.gp  (writes reward.png)
if (!exists("outfile")) outfile = 'reward.png'
set terminal pngcairo size 800,500 noenhanced font 'Sans,11'
set output outfile
set title 'TPO and revision: reward of the best in the cache and of each new batch'
set xlabel 'iteration'
set ylabel 'reward-model score'
set key bottom right box opaque
set grid
set style fill transparent solid 0.2 noborder
set offsets 0, 0, graph 0.05, graph 0.05
plot 'reward.dat' index 0 using 1:2 with lines lw 2 lc 1 title 'TPO, best in cache', \
     'reward.dat' index 1 using 1:2 with lines lw 2 lc 2 title 'TPO, batch mean', \
     'reward.dat' index 2 using 1:2 with lines lw 2 lc 3 title 'revision, best in cache', \
     'reward.dat' index 3 using 1:2 with lines lw 2 lc 4 title 'revision, batch mean', \
     1.72773953 with lines dt 2 lw 1.5 lc rgb '#333333' title 'best-of-20, same calls'
