# Gold score of each update's batch, at the two step sizes
# Render from this directory: gnuplot large-step-gold.gp  (writes large-step-gold.png)
if (!exists("outfile")) outfile = 'large-step-gold.png'
set terminal pngcairo size 800,551 noenhanced font 'Sans,11'
set output outfile
set title 'Gold score of each update''s batch, at the two step sizes'
set xlabel 'update'
set ylabel 'gold score (batch mean)'
set key outside below center horizontal Left reverse samplen 2 maxcols 2 height 1
set grid
set xrange [1:12]
set yrange [2.6821352:7.03309774]
set style fill transparent solid 0.2 noborder
plot 'large-step-gold.dat' index 0 using 1:2 with lines lw 2 lc 1 title 'vanilla PG, lr 0.004', \
     'large-step-gold.dat' index 1 using 1:2 with lines lw 2 lc 2 title 'TRPO, δ = 0.01', \
     'large-step-gold.dat' index 2 using 1:2 with lines lw 2 lc 3 title 'vanilla PG, lr 0.02', \
     'large-step-gold.dat' index 3 using 1:2 with lines lw 2 lc 4 title 'TRPO, δ = 0.05'
